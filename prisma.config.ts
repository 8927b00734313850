// Prisma CLI configuration. The service applies prisma/migrations itself at start-up
// (server/db/migrate.ts) because the CLI's schema engine cannot be downloaded offline.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgres://localhost:5432/pedigree" },
});
