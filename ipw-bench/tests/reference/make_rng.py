#!/usr/bin/env python3
"""Reference values of ipw-bench's generator for tests/rng_reference.rs.

An implementation of the published algorithms, independent of the crate: xoshiro256**
(Blackman and Vigna) seeded by four SplitMix64 outputs, Lemire's nearly divisionless
bounded integers, Fisher-Yates from the last item, and case_seed as FNV-1a 64 of the id
XOR the run seed. Run with `python3 make_rng.py`; it prints what the test pins.
"""

M = (1 << 64) - 1
def splitmix(state):
    state = (state + 0x9E3779B97F4A7C15) & M
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return state, z ^ (z >> 31)
def rotl(x, k): return ((x << k) | (x >> (64 - k))) & M
class Rng:
    def __init__(self, seed):
        st = seed; self.s = []
        for _ in range(4):
            st, z = splitmix(st); self.s.append(z)
    def next_u64(self):
        s = self.s
        result = (rotl((s[1] * 5) & M, 7) * 9) & M
        t = (s[1] << 17) & M
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45)
        return result
    def next_f64(self):
        return (self.next_u64() >> 11) * (1.0 / (1 << 53))
    def below(self, n):
        m = self.next_u64() * n
        low = m & M
        if low < n:
            threshold = ((1 << 64) - n) % n
            while low < threshold:
                m = self.next_u64() * n; low = m & M
        return m >> 64
    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1); items[i], items[j] = items[j], items[i]
def case_seed(seed, id):
    h = 0xcbf29ce484222325
    for b in id.encode(): h ^= b; h = (h * 0x100000001b3) & M
    return seed ^ h

DEFAULT_SEED = 0x1B05EED

assert splitmix(0)[1] == 0xE220A8397B1DCDAF, "SplitMix64's published first output"
for seed in [0, 42]:
    r = Rng(seed)
    print(seed, "next_u64", [r.next_u64() for _ in range(4)])
    r = Rng(seed)
    print(seed, "next_f64", [repr(r.next_f64()) for _ in range(3)])
    r = Rng(seed)
    print(seed, "below", [r.below(n) for n in [1, 2, 3, 10, 1000, 1 << 40]])
    r = Rng(seed)
    v = list(range(10))
    r.shuffle(v)
    print(seed, "shuffle", v)
r = Rng(42)
print(42, "below 2^63+1", [r.below((1 << 63) + 1) for _ in range(6)])
for seed, id in [(0, ""), (DEFAULT_SEED, "fixture/busy"), (DEFAULT_SEED, "llm/int8"), (7, "g/a")]:
    print("case_seed", hex(seed), repr(id), case_seed(seed, id))
