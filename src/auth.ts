// The two Authorization schemes Lofty accepts: an OAuth access token ("Bearer") or an API key ("token").
import type { Middleware } from "openapi-fetch";
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

/** Produces the Authorization header; `refreshable` is true when a 401 may be cured by asking the token function again. */
export interface Auth {
  header(): Promise<string>;
  readonly refreshable: boolean;
}

/** Builds the Auth of a client's options; never puts a secret in an error message. */
export function createAuth({ accessToken, apiKey }: Credentials): Auth {
  if ((accessToken === undefined) === (apiKey === undefined)) {
    throw new LoftyError("createLoftyClient needs exactly one of `accessToken` (OAuth) or `apiKey` (API key).");
  }
  const secret = apiKey ?? accessToken;
  const name = apiKey === undefined ? "accessToken" : "apiKey";
  // A secret with whitespace or control characters would corrupt the header; the message never repeats the value.
  const header = (value: unknown) => {
    if (typeof value !== "string" || !/^[\x21-\x7e]+$/.test(value)) {
      throw new LoftyError(`${name} must be a non-empty string of printable ASCII without spaces (value not shown).`);
    }
    return `${apiKey === undefined ? "Bearer" : "token"} ${value}`;
  };
  if (typeof secret !== "function") {
    const fixed = header(secret);
    return { header: async () => fixed, refreshable: false };
  }
  return {
    refreshable: true,
    async header() {
      let token: unknown;
      try {
        token = await secret();
      } catch (cause) {
        throw new LoftyError("The accessToken function failed, so nothing was sent.", { cause });
      }
      return header(token);
    },
  };
}

/** Sets the Authorization header on every request of the openapi-fetch client. */
export function authMiddleware(auth: Auth): Middleware {
  return {
    async onRequest({ request }) {
      request.headers.set("Authorization", await auth.header());
      return request;
    },
  };
}
