import { type ClassType, Field, Int, ObjectType } from "type-graphql";
import type { Page } from "../lib/paginate.js";

@ObjectType({ description: "Relay page information." })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: "Always false: lists page forward only (`first`/`after`)." })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface ConnectionEdge<TNode> {
  cursor: string;
  node: TNode;
}

export interface Connection<TNode> {
  edges: ConnectionEdge<TNode>[];
  pageInfo: PageInfo;
  countRows: () => Promise<number>;
}

/** Builds the `XConnection` and `XEdge` object types for a node type. */
export function ConnectionType<TNode extends object>(nodeType: ClassType<TNode>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String)
    cursor!: string;

    @Field(() => nodeType)
    node!: TNode;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass implements Connection<TNode> {
    @Field(() => [EdgeType])
    edges!: ConnectionEdge<TNode>[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    countRows!: () => Promise<number>;

    @Field(() => Int, { description: "Number of items matching the filter, over all pages (one extra query)." })
    totalCount(): Promise<number> {
      return this.countRows();
    }
  }
  return ConnectionClass;
}

/** Turns a fetched page into a connection of GraphQL nodes. */
export function toConnection<Row extends { id: string | number }, TNode>(
  page: Page<Row>,
  toNode: (row: Row) => TNode,
  countRows: () => Promise<number>,
): Connection<TNode> {
  const edges = page.rows.map((row) => ({ cursor: page.cursorOf(row), node: toNode(row) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    countRows,
  };
}
