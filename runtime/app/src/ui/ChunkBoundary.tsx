// Catches a screen that failed to load (a lazy chunk gone after a deploy, a render error) and offers a reload.
import { Component, type ReactNode } from 'react';
import { ErrorBox } from './common';

export class ChunkBoundary extends Component<{ children: ReactNode; resetKey: string }, { error: unknown }> {
  state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  componentDidUpdate(prev: { resetKey: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error !== null) this.setState({ error: null });
  }

  render() {
    if (this.state.error !== null) return <ErrorBox error={this.state.error} onRetry={() => location.reload()} />;
    return this.props.children;
  }
}
