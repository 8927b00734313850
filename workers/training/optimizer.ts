import type { ResolvedTrainingSpec } from "./types.js";

/** Updates a flat parameter vector in place from its gradient. */
export interface Optimizer {
  step(parameters: Float64Array, gradients: Float64Array): void;
}

/** Adam (Kingma & Ba 2015) with bias correction. */
export class AdamOptimizer implements Optimizer {
  private readonly firstMoment: Float64Array;
  private readonly secondMoment: Float64Array;
  private steps = 0;

  constructor(
    size: number,
    private readonly learningRate: number,
    private readonly beta1: number,
    private readonly beta2: number,
    private readonly epsilon: number,
  ) {
    this.firstMoment = new Float64Array(size);
    this.secondMoment = new Float64Array(size);
  }

  step(parameters: Float64Array, gradients: Float64Array): void {
    this.steps++;
    const { beta1, beta2, epsilon, firstMoment: m, secondMoment: v } = this;
    const stepSize = (this.learningRate * Math.sqrt(1 - beta2 ** this.steps)) / (1 - beta1 ** this.steps);
    for (let i = 0; i < parameters.length; i++) {
      const g = gradients[i]!;
      const mi = beta1 * m[i]! + (1 - beta1) * g;
      const vi = beta2 * v[i]! + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      parameters[i]! -= (stepSize * mi) / (Math.sqrt(vi) + epsilon);
    }
  }
}

/** Stochastic gradient descent with classical momentum. */
export class SgdMomentumOptimizer implements Optimizer {
  private readonly velocity: Float64Array;

  constructor(
    size: number,
    private readonly learningRate: number,
    private readonly momentum: number,
  ) {
    this.velocity = new Float64Array(size);
  }

  step(parameters: Float64Array, gradients: Float64Array): void {
    const { learningRate, momentum, velocity } = this;
    for (let i = 0; i < parameters.length; i++) {
      const vi = momentum * velocity[i]! - learningRate * gradients[i]!;
      velocity[i] = vi;
      parameters[i]! += vi;
    }
  }
}

export function createOptimizer(spec: ResolvedTrainingSpec["optimizer"], size: number): Optimizer {
  return spec.kind === "adam"
    ? new AdamOptimizer(size, spec.learningRate, spec.beta1, spec.beta2, spec.epsilon)
    : new SgdMomentumOptimizer(size, spec.learningRate, spec.momentum);
}
