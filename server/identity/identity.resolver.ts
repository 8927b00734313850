import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../graphql/context.js";
import { parseNodeId } from "../graphql/node-id.js";
import { CreateApiTokenInput, CreateUserInput, RoleBindingInput } from "./identity.inputs.js";
import { ApiToken, CreateApiTokenPayload, RoleBinding, User } from "./identity.type.js";

@Resolver(() => User)
export class IdentityResolver {
  @Authorized("VIEWER")
  @Query(() => User, { nullable: true, description: "The user of the request's API token; null when anonymous." })
  async me(@Ctx() ctx: RequestContext) {
    const user = await ctx.services.identity.me(ctx);
    return user ? User.from(user) : null;
  }

  @Authorized("VIEWER")
  @Query(() => [ApiToken], { description: "The caller's API tokens, newest first (never their secrets)." })
  async apiTokens(@Ctx() ctx: RequestContext) {
    const now = new Date();
    return (await ctx.services.identity.listApiTokens(ctx)).map((token) => ApiToken.from(token, now));
  }

  @FieldResolver(() => [RoleBinding])
  async roles(@Root() user: User, @Ctx() ctx: RequestContext) {
    return (await ctx.services.identity.roleBindingsOf(user.key)).map(RoleBinding.from);
  }

  @Authorized("ADMIN")
  @Mutation(() => User, { description: "ADMIN only." })
  async createUser(@Arg("input", () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: RequestContext) {
    return User.from(await ctx.services.identity.createUser(ctx, input));
  }

  @Authorized("VIEWER")
  @Mutation(() => CreateApiTokenPayload, { description: "A new API token for the caller; its secret is in this response only." })
  async createApiToken(@Arg("input", () => CreateApiTokenInput) input: CreateApiTokenInput, @Ctx() ctx: RequestContext) {
    const userId = input.userId ? parseNodeId(input.userId, "User", "input.userId") : undefined;
    const { token, secret } = await ctx.services.identity.createApiToken(ctx, { ...input, userId });
    return { apiToken: ApiToken.from(token), secret };
  }

  @Authorized("VIEWER")
  @Mutation(() => ApiToken, { description: "Revokes one of the caller's tokens at once; revoking twice changes nothing." })
  async revokeApiToken(@Arg("id", () => ID) id: string, @Ctx() ctx: RequestContext) {
    return ApiToken.from(await ctx.services.identity.revokeApiToken(ctx, parseNodeId(id, "ApiToken", "id")));
  }

  @Authorized("ADMIN")
  @Mutation(() => User, {
    description: "Binds a role to a user, globally or in one namespace (ADMIN there). Takes effect on the user's next request.",
  })
  async grantRole(@Arg("input", () => RoleBindingInput) input: RoleBindingInput, @Ctx() ctx: RequestContext) {
    const userId = parseNodeId(input.userId, "User", "input.userId");
    return User.from(await ctx.services.identity.grantRole(ctx, { ...input, userId }));
  }

  @Authorized("ADMIN")
  @Mutation(() => User, { description: "Removes a role binding; removing one the user does not hold changes nothing." })
  async revokeRole(@Arg("input", () => RoleBindingInput) input: RoleBindingInput, @Ctx() ctx: RequestContext) {
    const userId = parseNodeId(input.userId, "User", "input.userId");
    return User.from(await ctx.services.identity.revokeRole(ctx, { ...input, userId }));
  }
}
