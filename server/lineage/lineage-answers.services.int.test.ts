import { serviceUrls } from "../testing/service-urls.js";
import { describeLineageAnswers } from "./lineage-answers.suite.js";

// The same questions answered by the Neo4j projection (the Neo4j of scripts/services.sh), with the
// same expectations: the two stores must agree.
describeLineageAnswers({ store: "neo4j", database: "postgres", config: { neo4jUrl: serviceUrls().neo4j } });
