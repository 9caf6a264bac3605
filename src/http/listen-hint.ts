/**
 * How the server is bound, handed from the launcher to the app through the environment (as
 * APP_ENV is), since server/ and app/ never import each other: "loopback", "all" or "specific".
 * The App turns on host authorization (the DNS-rebinding guard) only for "loopback" in development.
 */
export const LISTEN_HINT_VARIABLE = "FRANK_LISTEN";
