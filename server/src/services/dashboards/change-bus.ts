/**
 * "Records of form X changed", told to whoever listens (dashboard event
 * streams). This in-process bus reaches the streams of this node only; a
 * deployment with several nodes puts a pub/sub adapter (Redis PUBLISH /
 * SUBSCRIBE on one channel) behind the same port.
 */
export interface ChangeBus {
  publish(formId: string): void;
  /** returns the function that stops listening */
  subscribe(listener: (formId: string) => void): () => void;
}

export class LocalChangeBus implements ChangeBus {
  private readonly listeners = new Set<(formId: string) => void>();

  publish(formId: string): void {
    for (const l of [...this.listeners]) {
      try {
        l(formId);
      } catch {
        // a listener's failure is its own: the others are still told
      }
    }
  }

  subscribe(listener: (formId: string) => void): () => void {
    const own = (formId: string) => listener(formId);
    this.listeners.add(own);
    return () => this.listeners.delete(own);
  }

  get size(): number {
    return this.listeners.size;
  }
}
