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

/** Returns the Authorization header of a client's options (checked at once when fixed); never puts a secret in an error. */
export function createAuth({ accessToken, apiKey }: Credentials): () => Promise<string> {
  if ((accessToken === undefined) == (apiKey === undefined))
    throw new LoftyError("createLoftyClient needs exactly one of `accessToken` or `apiKey`.");
  const key = apiKey !== undefined;
  // A secret with whitespace or control characters would corrupt the header; the message never repeats the value.
  const header = (secret: unknown) => {
    if (typeof secret != "string" || !/^[\x21-\x7e]+$/.test(secret)) {
      throw new LoftyError(
        `${key ? "apiKey" : "accessToken"} must be printable ASCII without spaces (value not shown).`,
      );
    }
    return (key ? "token " : "Bearer ") + secret;
  };
  if (typeof accessToken != "function") {
    const fixed = header(apiKey ?? accessToken);
    return async () => fixed;
  }
  return async () => {
    let token;
    try {
      token = await accessToken();
    } catch (cause) {
      throw new LoftyError("The accessToken function failed; nothing was sent.", { cause });
    }
    return header(token);
  };
}
