import { describe, expect, it } from "vitest";

import { classifySmtpError, redactAddresses } from "@/lib/mail";

describe("redactAddresses", () => {
  it("replaces the address in an SMTP recipient rejection", () => {
    expect(redactAddresses("550 5.1.1 <jane@example.eu>: Recipient address rejected")).toBe("550 5.1.1 <[address]>: Recipient address rejected");
  });

  it("replaces every address in a text, whatever surrounds it", () => {
    const redacted = redactAddresses(`Can't send mail - all recipients were rejected: 550 "Jane.Doe+ai@Example.EU", (bob@mx.example.org); carol@example.com`);
    expect(redacted).not.toContain("@");
    expect(redacted.match(/\[address\]/g)).toHaveLength(3);
    expect(redacted).toContain("Can't send mail - all recipients were rejected: 550");
  });

  it("leaves a text without an address unchanged", () => {
    const text = "connect ECONNREFUSED 127.0.0.1:2525";
    expect(redactAddresses(text)).toBe(text);
  });
});

/** An error as nodemailer makes them: a message, its code, and the server's reply code when there was a reply. */
const smtpError = (message: string, code?: string, responseCode?: number) => Object.assign(new Error(message), { code, responseCode });

describe("classifySmtpError", () => {
  it("reads a 5xx reply as final for the recipient and a 4xx reply as worth another try", () => {
    expect(classifySmtpError(smtpError("550 5.1.1 Mailbox does not exist", "EENVELOPE", 550))).toBe("permanent");
    expect(classifySmtpError(smtpError("451 4.7.1 Greylisted", "EENVELOPE", 451))).toBe("recipient_transient");
  });

  it("reads the server being down, slow or refusing the session as the server's state, which costs no recipient an attempt", () => {
    for (const error of [
      smtpError("connect ECONNREFUSED 127.0.0.1:2525", "ESOCKET"),
      smtpError("Connection closed unexpectedly", "ECONNECTION"),
      smtpError("Timeout", "ETIMEDOUT"),
      smtpError("getaddrinfo ENOTFOUND smtp.example", "EDNS"),
      smtpError("Invalid login", "EAUTH", 535),
      smtpError("421 4.3.2 Service shutting down", "EENVELOPE", 421),
      smtpError("Invalid greeting", "EPROTOCOL"),
      Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }),
      // The pool's own errors carry no code.
      new Error("Connection pool was closed"),
      new Error("Reached maximum number of retries after connection was closed"),
    ]) {
      expect(classifySmtpError(error), error.message).toBe("connection");
    }
  });

  it("counts an error without a reply code that is about this message or address against the notification", () => {
    // nodemailer refuses an unusable address itself, before asking the server: no retry helps.
    expect(classifySmtpError(smtpError("No recipients defined", "EENVELOPE"))).toBe("permanent");
    // Anything else about this one message (its stream, our own code) is tried again, up to the limit.
    expect(classifySmtpError(smtpError("Stream failed", "ESTREAM"))).toBe("recipient_transient");
    expect(classifySmtpError(smtpError("Message failed", "EMESSAGE"))).toBe("recipient_transient");
    expect(classifySmtpError(new Error("something unexpected"))).toBe("recipient_transient");
    expect(classifySmtpError("not even an error")).toBe("recipient_transient");
  });
});
