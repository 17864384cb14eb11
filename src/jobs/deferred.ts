/**
 * Thrown by a handler that cannot do its work now for a reason that is not a failure (another
 * instance is doing the same kind of work and this one must come after it): the worker puts the
 * job back, due again in `seconds`, without counting an attempt or recording an error.
 */
export class JobDeferred extends Error {
  constructor(
    readonly seconds: number,
    reason: string,
  ) {
    super(reason);
    this.name = 'JobDeferred';
  }
}
