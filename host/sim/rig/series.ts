// Growable typed-array logs (amortised doubling) for step times and per-bin histories.

export class Float64Series {
  private data: Float64Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Float64Array(Math.max(1, initialCapacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  get(index: number): number {
    return this.data[index];
  }

  last(): number {
    return this.length === 0 ? NaN : this.data[this.length - 1];
  }

  /** A view of the filled part (no copy; invalidated by the next push that grows the buffer). */
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }

  /** First index whose value is > x (the series must be non-decreasing); length if none. */
  upperBound(x: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.data[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export class Int8Series {
  private data: Int8Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Int8Array(Math.max(1, initialCapacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int8Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  get(index: number): number {
    return this.data[index];
  }

  view(): Int8Array {
    return this.data.subarray(0, this.length);
  }
}
