-- A hard bounce says an address is wrong, not a person: when member sync gives the member another
-- address, the hard bounce no longer holds and is lifted. A complaint and "stop these emails" are
-- the person's, and stay. A row trigger, so every path that changes an address (the API's bulk
-- upsert, the CSV import) keeps the rule, and the WHEN clause makes it free for an unchanged one.
CREATE FUNCTION lift_hard_bounce_on_new_address() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "EmailSuppression" WHERE "memberId" = NEW.id AND reason = 'hard_bounce';
  RETURN NEW;
END;
$$;

CREATE TRIGGER "Member_lift_hard_bounce_on_new_address"
AFTER UPDATE OF email ON "Member"
FOR EACH ROW WHEN (OLD.email IS DISTINCT FROM NEW.email)
EXECUTE FUNCTION lift_hard_bounce_on_new_address();
