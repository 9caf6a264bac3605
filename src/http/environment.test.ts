import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { disagreeingEnvironmentVariables, environmentFromProcess, environmentVariable } from "./environment.js";

describe("environment variables", () => {
  it("APP_ENV, then RACK_ENV, then NODE_ENV decide; blank ones do not count", () => {
    assert.equal(environmentFromProcess({}), "development");
    assert.equal(environmentFromProcess({ NODE_ENV: "test", RACK_ENV: " production " }), "production");
    assert.deepEqual(environmentVariable({ APP_ENV: "  ", RACK_ENV: "staging", NODE_ENV: "production" }), {
      name: "RACK_ENV",
      value: "staging",
    });
  });

  it("names every variable when they disagree, and nothing when they agree", () => {
    assert.equal(disagreeingEnvironmentVariables({ APP_ENV: "production", NODE_ENV: "production" }), undefined);
    assert.deepEqual(disagreeingEnvironmentVariables({ APP_ENV: "production", RACK_ENV: "development" }), [
      { name: "APP_ENV", value: "production" },
      { name: "RACK_ENV", value: "development" },
    ]);
  });
});
