import { openDatabase } from "../server/db/database.ts";
const t0 = performance.now();
const db = await openDatabase({ url: undefined, dataDir: undefined });
console.log(db.mode, db.url, db.migrations, performance.now() - t0);
const ns = await db.prisma.namespace.create({ data: { name: "x" } });
console.log(ns, db.statements.count);
await db.close();
