import FoundationEssentials
import Glibc
import SafeText

/// A sum of cosines, `c + Σ aᵢ·cos(ωᵢ·t + φᵢ)` with `t` in seconds, with an exact antiderivative.
///
/// Request rates, error shares and the share of slow requests are waves, and so are their products (a product of
/// cosines is a sum of cosines). That makes every counter of the synthetic world a closed-form integral of its rate:
/// the value at any instant costs the same, whether it is a second or a year after any other.
struct Wave: Sendable {
    struct Term: Sendable {
        var amplitude: Double
        /// Radians per second.
        var omega: Double
        var phase: Double
    }

    var constant: Double
    var terms: [Term]

    init(_ constant: Double, _ terms: [Term] = []) {
        self.constant = constant
        self.terms = terms
    }

    /// `constant + amplitude·cos(2π·t/period + phase)`.
    static func cosine(_ constant: Double, amplitude: Double, period: Double, phase: Double) -> Wave {
        Wave(constant, [Term(amplitude: amplitude, omega: 2 * .pi / period, phase: phase)])
    }

    func value(at t: Double) -> Double {
        var sum = constant
        for term in terms { sum += term.amplitude * cos(term.omega * t + term.phase) }
        return sum
    }

    /// The antiderivative: `c·t + Σ aᵢ/ωᵢ·sin(ωᵢ·t + φᵢ)`.
    func integral(at t: Double) -> Double {
        var sum = constant * t
        for term in terms { sum += term.amplitude / term.omega * sin(term.omega * t + term.phase) }
        return sum
    }

    /// Bounds of the wave over all time (every cosine at its extreme at once; a safe estimate).
    var lowerBound: Double { constant - terms.reduce(0) { $0 + abs($1.amplitude) } }
    var upperBound: Double { constant + terms.reduce(0) { $0 + abs($1.amplitude) } }

    static func + (a: Wave, b: Wave) -> Wave { Wave(a.constant + b.constant, a.terms + b.terms) }

    static prefix func - (a: Wave) -> Wave {
        Wave(-a.constant, a.terms.map { Term(amplitude: -$0.amplitude, omega: $0.omega, phase: $0.phase) })
    }

    static func - (a: Wave, b: Wave) -> Wave { a + (-b) }

    static func * (a: Wave, k: Double) -> Wave {
        Wave(a.constant * k, a.terms.map { Term(amplitude: $0.amplitude * k, omega: $0.omega, phase: $0.phase) })
    }

    /// The product, by `cos x · cos y = ½·cos(x − y) + ½·cos(x + y)`.
    static func * (a: Wave, b: Wave) -> Wave {
        var result = Wave(a.constant * b.constant)
        for term in a.terms { result.add(Term(amplitude: term.amplitude * b.constant, omega: term.omega, phase: term.phase)) }
        for term in b.terms { result.add(Term(amplitude: term.amplitude * a.constant, omega: term.omega, phase: term.phase)) }
        for x in a.terms {
            for y in b.terms {
                let half = x.amplitude * y.amplitude / 2
                result.add(Term(amplitude: half, omega: x.omega - y.omega, phase: x.phase - y.phase))
                result.add(Term(amplitude: half, omega: x.omega + y.omega, phase: x.phase + y.phase))
            }
        }
        return result
    }

    /// Adds a term; one of (near) zero frequency is a constant.
    private mutating func add(_ term: Term) {
        if abs(term.omega) < 1e-12 {
            constant += term.amplitude * cos(term.phase)
        } else {
            terms.append(term)
        }
    }
}

/// Deterministic pseudo-random numbers from a seed and a few integers (SplitMix64 mixing).
enum Noise {
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func hash(_ seed: UInt64, _ values: Int64...) -> UInt64 {
        var h = mix(seed)
        for v in values { h = mix(h ^ UInt64(bitPattern: v)) }
        return h
    }

    /// A number in `[0, 1)`.
    static func unit(_ seed: UInt64, _ values: Int64...) -> Double {
        var h = mix(seed)
        for v in values { h = mix(h ^ UInt64(bitPattern: v)) }
        return Double(h >> 11) / Double(1 << 53)
    }

    /// A phase in `[0, 2π)`.
    static func phase(_ seed: UInt64, _ values: Int64...) -> Double {
        var h = mix(seed)
        for v in values { h = mix(h ^ UInt64(bitPattern: v)) }
        return Double(h >> 11) / Double(1 << 53) * 2 * .pi
    }
}
