// The HTTP floor of POST /api/v1/lineage for bench/openlineage.ts: an Express server that reads the
// body as the real endpoint does (express.raw, gzip undone, JSON.parse) and answers in its shape
// (201, or 207 with one result per event) without validating, authorizing or storing anything.
// What no endpoint of this stack on this machine can beat; run as its own process like the server.
import express from "express";

const app = express();
app.post("/api/v1/lineage", express.raw({ type: () => true, limit: "64mb", inflate: true }), (req, res) => {
  const body = JSON.parse((req.body as Buffer).toString("utf8")) as unknown;
  if (!Array.isArray(body)) {
    res.status(201).json({ outcome: "CREATED" });
    return;
  }
  res.status(207).json({
    results: body.map(() => ({ status: 201, outcome: "CREATED" })),
    summary: { created: body.length, duplicates: 0, failed: 0 },
  });
});
const server = app.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address && typeof address === "object") console.log(`http floor at http://127.0.0.1:${address.port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
