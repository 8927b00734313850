/** A node of any graph the explorer draws: its kind picks the renderer, data is the kind's payload. */
export interface GraphNode<Kind extends string, Data> {
  id: string;
  kind: Kind;
  data: Data;
}

/** A directed edge, source ➜ target. */
export interface GraphEdge<Kind extends string> {
  id: string;
  source: string;
  target: string;
  kind: Kind;
}

export interface Point {
  x: number;
  y: number;
}

/** Top-left corner of every laid-out node, by id. */
export type GraphPositions = ReadonlyMap<string, Point>;

/** Every node is drawn at this size; layout reserves it. */
export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 60;
