import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SCHEMA_SDL_PATH, printPedigreeSchema } from "./schema-sdl.js";

describe("committed schema.graphql", () => {
  it("matches the schema the code builds (run `npm run schema:emit` after a schema change)", async () => {
    expect(readFileSync(SCHEMA_SDL_PATH, "utf8")).toBe(await printPedigreeSchema());
  });
});
