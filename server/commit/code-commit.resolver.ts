import { Arg, Args, Authorized, Ctx, Field, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import { ConnectionType, toConnection } from "../graphql/connection.js";
import type { RequestContext } from "../graphql/context.js";
import { parseNodeId } from "../graphql/node-id.js";
import { PageArgs } from "../graphql/page-args.js";
import { Namespace } from "../namespace/namespace.type.js";
import {
  CodeCommitFilterInput,
  CodeCommitOrder,
  CodeCommitOrderField,
  RegisterCodeCommitInput,
  UpdateCodeCommitInput,
} from "./code-commit.inputs.js";
import { CodeCommit } from "./code-commit.type.js";

const CodeCommitConnection = ConnectionType(CodeCommit, "CodeCommit");

@ObjectType()
class RegisterCodeCommitPayload {
  @Field(() => CodeCommit)
  codeCommit!: CodeCommit;

  @Field(() => Boolean, {
    description: "False when this repository + SHA was already registered: the existing commit is returned.",
  })
  created!: boolean;
}

@Resolver(() => CodeCommit)
export class CodeCommitResolver {
  @Authorized("VIEWER")
  @Query(() => CodeCommitConnection)
  async codeCommits(
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => CodeCommitFilterInput, { nullable: true }) filter?: CodeCommitFilterInput,
    @Arg("orderBy", () => CodeCommitOrder, { nullable: true }) orderBy?: CodeCommitOrder,
  ) {
    const { page: result, count } = await ctx.services.codeCommits.list(
      {
        namespace: filter?.namespace ?? undefined,
        repository: filter?.repository ?? undefined,
        branch: filter?.branch ?? undefined,
        shaPrefix: filter?.sha ?? undefined,
        visibleNamespaceIds: ctx.access.visibleNamespaceIds(),
      },
      page,
      orderBy?.field ?? CodeCommitOrderField.COMMITTED_AT,
      orderBy?.direction ?? "desc",
    );
    return toConnection(result, CodeCommit.from, count);
  }

  @FieldResolver(() => Namespace)
  async namespace(@Root() commit: CodeCommit, @Ctx() ctx: RequestContext) {
    return Namespace.from((await ctx.loaders.namespaceById.load(commit.namespaceKey))!);
  }

  @Authorized("EDITOR")
  @Mutation(() => RegisterCodeCommitPayload)
  async registerCodeCommit(
    @Arg("input", () => RegisterCodeCommitInput) input: RegisterCodeCommitInput,
    @Ctx() ctx: RequestContext,
  ) {
    const { codeCommit, created } = await ctx.services.codeCommits.register(ctx, {
      namespace: input.namespace,
      repository: input.repository,
      sha: input.sha,
      branch: input.branch ?? null,
      author: input.author ?? null,
      message: input.message ?? null,
      committedAt: input.committedAt ?? null,
    });
    return { codeCommit: CodeCommit.from(codeCommit), created };
  }

  @Authorized("EDITOR")
  @Mutation(() => CodeCommit)
  async updateCodeCommit(@Arg("input", () => UpdateCodeCommitInput) input: UpdateCodeCommitInput, @Ctx() ctx: RequestContext) {
    const id = parseNodeId(input.id, "CodeCommit", "input.id");
    return CodeCommit.from(await ctx.services.codeCommits.update(ctx, id, { branch: input.branch, message: input.message }));
  }
}
