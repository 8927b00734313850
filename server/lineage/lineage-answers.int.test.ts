import { describeLineageAnswers } from "./lineage-answers.suite.js";

// Without NEO4J_URL the Postgres system of record answers (PGlite and Postgres projects).
describeLineageAnswers({ store: "postgres" });
