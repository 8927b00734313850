import onnxProto from "onnx-proto";

const { onnx } = onnxProto;
type NodeProto = onnxProto.onnx.INodeProto;
type TensorProto = onnxProto.onnx.ITensorProto;
type ValueInfoProto = onnxProto.onnx.IValueInfoProto;
type AttributeProto = onnxProto.onnx.IAttributeProto;

export const TensorElementType = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int64: onnx.TensorProto.DataType.INT64,
} as const;
export type TensorElementTypeName = keyof typeof TensorElementType;

/** A dimension: a fixed size, or a named symbolic one (the batch size). */
export type Dimension = number | string;

export type AttributeValue = number | { int: number };

/** Float32 tensor bytes, little-endian as ONNX raw_data requires. */
function float32RawData(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let k = 0; k < values.length; k++) view.setFloat32(k * 4, values[k]!, true);
  return bytes;
}

function valueInfo(name: string, type: TensorElementTypeName, shape: readonly Dimension[]): ValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: TensorElementType[type],
        shape: { dim: shape.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, value: AttributeValue): AttributeProto {
  return typeof value === "number"
    ? { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: value }
    : { name, type: onnx.AttributeProto.AttributeType.INT, i: value.int };
}

/** Collects the nodes, initializers, inputs and outputs of one ONNX graph and encodes the model. */
export class OnnxGraphBuilder {
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly inputs: ValueInfoProto[] = [];
  private readonly outputs: ValueInfoProto[] = [];

  input(name: string, type: TensorElementTypeName, shape: readonly Dimension[]): string {
    this.inputs.push(valueInfo(name, type, shape));
    return name;
  }

  output(name: string, type: TensorElementTypeName, shape: readonly Dimension[]): void {
    this.outputs.push(valueInfo(name, type, shape));
  }

  /** A float32 constant stored as an initializer. */
  floatInitializer(name: string, dims: readonly number[], values: ArrayLike<number>): string {
    this.initializers.push({ name, dims: [...dims], dataType: TensorElementType.float32, rawData: float32RawData(values) });
    return name;
  }

  /** Adds a node of the default (ai.onnx) domain and returns its output name. */
  node(opType: string, inputs: readonly string[], output: string, attributes: Record<string, AttributeValue> = {}): string {
    this.nodes.push({
      opType,
      name: `${output}_${opType}`,
      input: [...inputs],
      output: [output],
      attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
    });
    return output;
  }

  encode(options: {
    graphName: string;
    irVersion: number;
    opsetVersion: number;
    producerName: string;
    docString: string;
    metadata: Record<string, string>;
  }): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: options.irVersion,
      opsetImport: [{ domain: "", version: options.opsetVersion }],
      producerName: options.producerName,
      docString: options.docString,
      metadataProps: Object.entries(options.metadata).map(([key, value]) => ({ key, value })),
      graph: {
        name: options.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
