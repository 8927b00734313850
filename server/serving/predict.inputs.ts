import { IsOptional, MaxLength } from "class-validator";
import { Field, InputType } from "type-graphql";
import { JSONObject } from "../graphql/scalars.js";

@InputType({ description: "Rows to score by a deployment: give `rows` or `columns`." })
export class PredictInput {
  @Field(() => String, { description: "Namespace of the deployment." })
  @MaxLength(255)
  namespace!: string;

  @Field(() => String, { description: "Name of the deployment." })
  @MaxLength(255)
  deployment!: string;

  @Field(() => [JSONObject], {
    nullable: true,
    description: "One {feature: number} object per row; every feature of the model's signature, no others.",
  })
  @IsOptional()
  rows?: Record<string, unknown>[] | null;

  @Field(() => JSONObject, {
    nullable: true,
    description: "Column-wise rows: {feature: [number, …]}, every list as long as the others.",
  })
  @IsOptional()
  columns?: Record<string, unknown> | null;

  @Field(() => String, {
    nullable: true,
    description: "Requests with the same key reach the same model version while the traffic split stays; random when absent.",
  })
  @IsOptional()
  @MaxLength(1_024)
  routingKey?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "Adds each row's exact feature attributions (linear models only: logistic and linear regression; others are refused).",
  })
  @IsOptional()
  explain?: boolean | null;
}
