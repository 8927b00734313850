import { Arg, Args, Authorized, Ctx, Field, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { ConnectionType, toConnection } from "../graphql/connection.js";
import type { RequestContext } from "../graphql/context.js";
import { parseNodeId } from "../graphql/node-id.js";
import { PageArgs } from "../graphql/page-args.js";
import {
  NamespaceFilterInput,
  NamespaceOrder,
  NamespaceOrderField,
  RegisterNamespaceInput,
  UpdateNamespaceInput,
} from "./namespace.inputs.js";
import { Namespace } from "./namespace.type.js";

const NamespaceConnection = ConnectionType(Namespace, "Namespace");

@ObjectType()
class RegisterNamespacePayload {
  @Field(() => Namespace)
  namespace!: Namespace;

  @Field(() => Boolean, { description: "False when the namespace already existed." })
  created!: boolean;
}

@Resolver(() => Namespace)
export class NamespaceResolver {
  @Authorized("VIEWER")
  @Query(() => NamespaceConnection)
  async namespaces(
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => NamespaceFilterInput, { nullable: true }) filter?: NamespaceFilterInput,
    @Arg("orderBy", () => NamespaceOrder, { nullable: true }) orderBy?: NamespaceOrder,
  ) {
    const { page: result, count } = await ctx.services.namespaces.list(
      { nameContains: filter?.nameContains ?? undefined, visibleNamespaceIds: ctx.access.visibleNamespaceIds() },
      page,
      orderBy?.field ?? NamespaceOrderField.NAME,
      orderBy?.direction ?? "asc",
    );
    return toConnection(result, Namespace.from, count);
  }

  @Authorized("VIEWER")
  @Query(() => Namespace, { nullable: true })
  async namespace(@Arg("name", () => String) name: string, @Ctx() ctx: RequestContext) {
    const row = await ctx.services.namespaces.findByName(name);
    return row ? Namespace.from(row) : null;
  }

  @Authorized("EDITOR")
  @Mutation(() => RegisterNamespacePayload)
  async registerNamespace(@Arg("input", () => RegisterNamespaceInput) input: RegisterNamespaceInput, @Ctx() ctx: RequestContext) {
    const { namespace, created } = await ctx.services.namespaces.register(ctx, input);
    return { namespace: Namespace.from(namespace), created };
  }

  @Authorized("ADMIN")
  @Mutation(() => Namespace)
  async updateNamespace(@Arg("input", () => UpdateNamespaceInput) input: UpdateNamespaceInput, @Ctx() ctx: RequestContext) {
    const id = parseNodeId(input.id, "Namespace", "input.id");
    return Namespace.from(await ctx.services.namespaces.update(ctx, id, { description: input.description }));
  }
}
