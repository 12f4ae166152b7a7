import type { TSubmission } from "./load";

// A page's forms read as a browser without JavaScript reads them, and replayed for any member.

type TField = [name: string, value: string];
export type TForm = { action: string; method: string; enctype: string; fields: TField[]; hasTextarea: boolean };

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

const decodeEntities = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, entity: string) => {
    if (entity.startsWith("#x") || entity.startsWith("#X")) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(Number(entity.slice(1)));
    return ENTITIES[entity.toLowerCase()] ?? match;
  });

const parseAttributes = (source: string) => {
  const attributes = new Map<string, string>();
  for (const [, name, doubleQuoted, singleQuoted, bare] of source.matchAll(/([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    // As in HTML, the first of two same-named attributes wins.
    const key = name!.toLowerCase();
    if (!attributes.has(key)) attributes.set(key, decodeEntities(doubleQuoted ?? singleQuoted ?? bare ?? ""));
  }
  return attributes;
};

const SKIPPED_INPUTS = new Set(["submit", "button", "reset", "image", "file"]);

/** Every `<form>` with what a browser would submit from it: its controls in document order, with their defaults. */
export const parseForms = (html: string): TForm[] =>
  [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form\s*>/gi)].map(([, formAttributes, inner]) => {
    const form = parseAttributes(formAttributes ?? "");
    let action = form.get("action") ?? "";
    let method = (form.get("method") ?? "get").toLowerCase();
    let enctype = (form.get("enctype") ?? "application/x-www-form-urlencoded").toLowerCase();
    const fields: TField[] = [];
    let submitter: Map<string, string> | undefined;
    let hasTextarea = false;
    for (const [, voidTag, voidAttributes, pairTag, pairAttributes, content] of (inner ?? "").matchAll(/<(input|button)\b([^>]*)>|<(select|textarea)\b([^>]*)>([\s\S]*?)<\/\3\s*>/gi)) {
      const attributes = parseAttributes(voidAttributes ?? pairAttributes ?? "");
      const tag = (voidTag ?? pairTag ?? "").toLowerCase();
      const name = attributes.get("name");
      const type = (attributes.get("type") ?? (tag === "button" ? "submit" : "text")).toLowerCase();
      if (tag === "textarea") hasTextarea = true;
      if ((tag === "button" || type === "submit" || type === "image") && type !== "button" && type !== "reset") {
        submitter ??= attributes;
        continue;
      }
      if (!name || attributes.has("disabled")) continue;
      if (tag === "input") {
        if (SKIPPED_INPUTS.has(type)) continue;
        if ((type === "checkbox" || type === "radio") && !attributes.has("checked")) continue;
        fields.push([name, attributes.get("value") ?? (type === "checkbox" || type === "radio" ? "on" : "")]);
      } else if (tag === "textarea") {
        // The parser drops one newline right after <textarea>.
        fields.push([name, decodeEntities((content ?? "").replace(/^\r?\n/, ""))]);
      } else {
        const options = [...(content ?? "").matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option\s*>/gi)].map(([, optionAttributes, label]) => {
          const option = parseAttributes(optionAttributes ?? "");
          return { value: option.get("value") ?? decodeEntities((label ?? "").replace(/<[^>]*>/g, "").trim()), selected: option.has("selected"), disabled: option.has("disabled") };
        });
        const selected = options.filter((option) => option.selected);
        const chosen = attributes.has("multiple") ? selected : selected.slice(0, 1).concat(selected.length ? [] : options.filter((option) => !option.disabled).slice(0, 1));
        for (const option of chosen) fields.push([name, option.value]);
      }
    }
    // Pressing the first submit button: its name and value are sent, and its form* attributes win
    // (React renders a server action on a button as `formAction`).
    if (submitter) {
      const name = submitter.get("name");
      if (name) fields.push([name, submitter.get("value") ?? ""]);
      action = submitter.get("formaction") ?? action;
      method = (submitter.get("formmethod") ?? method).toLowerCase();
      enctype = (submitter.get("formenctype") ?? enctype).toLowerCase();
    }
    return { action, method, enctype, fields, hasTextarea };
  });

/** The objection form among the page's forms (the language switcher is one too): the one that carries the token. */
export const pickForm = (forms: TForm[], token: string) => {
  const score = (form: TForm) =>
    (form.fields.some(([, value]) => value === token) ? 8 : 0) +
    (form.action.includes(token) ? 4 : 0) +
    (form.fields.some(([, value]) => value.includes(token)) ? 1 : 0) +
    (form.hasTextarea ? 2 : 0);
  const candidates = forms.filter((form) => form.method === "post" && score(form) > 0).sort((a, b) => score(b) - score(a));
  if (!candidates[0]) throw new Error(`No POST form carrying the token on the page (forms: ${JSON.stringify(forms.map(({ action, method, fields }) => ({ action, method, fields: fields.map(([name]) => name) })))})`);
  return candidates[0];
};

const escapeMultipartName = (name: string) => name.replace(/\r\n|\r|\n/g, "%0D%0A").replace(/"/g, "%22");

/** Turns the parsed form into a request for any member: their token wherever the sample's appears. */
export const formSubmission = ({ form, pageUrl, sampleToken, cookie }: { form: TForm; pageUrl: URL; sampleToken: string; cookie: string }) => {
  const target = new URL(form.action, pageUrl);
  if (target.origin !== pageUrl.origin) throw new Error(`The form posts to another origin: ${target.origin}`);
  // A Next.js server action without JavaScript is a multipart post, whatever the enctype says.
  const multipart = form.enctype === "multipart/form-data" || form.fields.some(([name]) => name.startsWith("$ACTION_"));
  const boundary = `----objectionbench${Math.random().toString(16).slice(2)}`;
  const swap = (text: string, token: string) => text.split(sampleToken).join(token);
  const bodyFor = (token: string) => {
    const fields = form.fields.map(([name, value]): TField => [name, swap(value, token)]);
    if (!multipart) return new URLSearchParams(fields).toString();
    return `${fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${escapeMultipartName(name)}"\r\n\r\n${value.replace(/\r?\n/g, "\r\n")}\r\n`).join("")}--${boundary}--\r\n`;
  };
  const build = (token: string): TSubmission => ({
    method: form.method.toUpperCase(),
    path: swap(`${target.pathname}${target.search}`, token),
    headers: {
      "content-type": multipart ? `multipart/form-data; boundary=${boundary}` : "application/x-www-form-urlencoded",
      // What a browser sends with a form post: Next.js checks Origin against Host for server actions.
      origin: pageUrl.origin,
      referer: swap(pageUrl.href, token),
      accept: "text/html,application/xhtml+xml",
      "accept-language": "en",
      ...(cookie ? { cookie } : {}),
    },
    body: bodyFor(token),
  });
  return { build, multipart, target: swap(target.pathname, "<token>") };
};
