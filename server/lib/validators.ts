import { Length, Matches, MaxLength, ValidateBy } from "class-validator";

// Names appear in URLs, logs and Cypher parameters; control characters never belong in them.
const NAME_PATTERN = /^[^\s\p{Cc}][^\p{Cc}]*$/u;
const URI_PATTERN = /^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s\p{Cc}]+$/u;

/** A namespace, dataset, model, job or deployment name: 1–255 printable characters. */
export function IsPedigreeName(): PropertyDecorator {
  return (target, key) => {
    Length(1, 255)(target, key);
    Matches(NAME_PATTERN, { message: "$property must not start with a space or contain control characters" })(target, key);
  };
}

/** A URI with a scheme (file://, s3://, gs://, postgres://, …). */
export function IsPedigreeUri(): PropertyDecorator {
  return (target, key) => {
    MaxLength(2048)(target, key);
    Matches(URI_PATTERN, { message: "$property must be a URI with a scheme, such as file:///data/x.parquet or s3://bucket/key" })(
      target,
      key,
    );
  };
}

/** A content digest written `algorithm:hex`, e.g. `sha256:9f86d0…`. */
export function IsContentDigest(): PropertyDecorator {
  return Matches(/^[a-z0-9]{2,16}:[0-9a-f]{16,128}$/, {
    message: "$property must look like algorithm:hex, e.g. sha256:9f86d081884c7d65…",
  });
}

/** A lowercase hex SHA-256. */
export function IsSha256(): PropertyDecorator {
  return Matches(/^[0-9a-f]{64}$/, { message: "$property must be 64 lowercase hex characters (a SHA-256)" });
}

/**
 * At most `bytes` bytes of UTF-8: what a btree index entry is limited by (2,704 bytes per row in
 * PostgreSQL), which a character count cannot guarantee for non-ASCII text.
 */
export function MaxUtf8Bytes(bytes: number): PropertyDecorator {
  return ValidateBy({
    name: "maxUtf8Bytes",
    validator: {
      validate: (value: unknown) => typeof value !== "string" || Buffer.byteLength(value, "utf8") <= bytes,
      defaultMessage: () => `$property must be at most ${bytes} bytes of UTF-8`,
    },
  });
}

/** Free text such as a description. */
export function IsDescription(): PropertyDecorator {
  return MaxLength(10_000);
}
