// Writes the GraphQL SDL to server/graphql/schema.graphql so every schema change shows in review.
// server/graphql/schema-sdl.test.ts fails when the committed file and the code drift apart.
import { writeFileSync } from "node:fs";
import { printPedigreeSchema, SCHEMA_SDL_PATH } from "../server/graphql/schema-sdl.js";

writeFileSync(SCHEMA_SDL_PATH, await printPedigreeSchema());
console.log(`wrote ${SCHEMA_SDL_PATH}`);
