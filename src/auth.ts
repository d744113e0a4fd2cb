// The two Authorization schemes Lofty accepts: an OAuth access token ("Bearer") or an API key ("token").
import { LoftyError } from "./errors.js";

/** Returns a current OAuth access token; called for every request and again once after a 401. */
export type AccessTokenProvider = () => string | Promise<string>;

/** The credential options of createLoftyClient: exactly one of the two. */
export interface Credentials {
  /** An OAuth 2 access token, or a function returning one: sent as `Authorization: Bearer <token>`. */
  accessToken?: string | AccessTokenProvider;
  /** A Lofty API key (Settings > Integrations > API): sent as `Authorization: token <key>`. */
  apiKey?: string;
}

// A secret with whitespace or control characters would corrupt the header.
const PRINTABLE_WITHOUT_SPACES = /^[\x21-\x7e]+$/;

/** Returns the Authorization header of a client's options (checked at once when fixed); never puts a secret in an error. */
export function createAuth({ accessToken, apiKey }: Credentials): () => Promise<string> {
  if ((accessToken === undefined) === (apiKey === undefined)) {
    throw new LoftyError("createLoftyClient needs exactly one of `accessToken` or `apiKey`.");
  }
  if (apiKey !== undefined) {
    const fixed = authorization("apiKey", apiKey);
    return () => Promise.resolve(fixed);
  }
  if (typeof accessToken !== "function") {
    const fixed = authorization("accessToken", accessToken);
    return () => Promise.resolve(fixed);
  }
  return async () => {
    let token: unknown;
    try {
      token = await accessToken();
    } catch (cause) {
      throw new LoftyError("The accessToken function failed; nothing was sent.", { cause });
    }
    return authorization("accessToken", token);
  };
}

/** The header for a secret; the message of a bad one never repeats the value. */
function authorization(option: "apiKey" | "accessToken", secret: unknown): string {
  if (typeof secret !== "string" || !PRINTABLE_WITHOUT_SPACES.test(secret)) {
    throw new LoftyError(`${option} must be printable ASCII without spaces (value not shown).`);
  }
  const scheme = option === "apiKey" ? "token" : "Bearer";
  return `${scheme} ${secret}`;
}
