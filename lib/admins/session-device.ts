import Bowser from "bowser";

/**
 * A short name for the browser a session began in, such as "Chrome on macOS", from its
 * User-Agent (bowser: MIT and maintained; ua-parser-js 2 is AGPL). A session without one, or one
 * bowser cannot name, says so plainly rather than showing the raw header.
 */
export const sessionDevice = (userAgent: string | null): string => {
  if (!userAgent) return "Unknown browser";
  const parser = Bowser.getParser(userAgent);
  const browser = parser.getBrowserName();
  const os = parser.getOSName();
  if (browser && os) return `${browser} on ${os}`;
  return browser || (os ? `A browser on ${os}` : "Unknown browser");
};
