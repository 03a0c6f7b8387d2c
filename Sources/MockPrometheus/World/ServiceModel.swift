import FoundationEssentials
import Glibc
import PrometheusModels

/// One service of the world: its traffic, error shares, latency populations and Kubernetes state.
struct ServiceModel: Sendable {
    let index: Int
    let name: String
    let seed: UInt64
    let scenario: Scenario
    let isDown: Bool
    let instance: String
    let podNames: [String]
    /// Seconds after midnight UTC of the daily deploy, when counters start again from zero.
    let deployOffset: Double

    /// Requests per second.
    let rate: Wave
    /// Per status code: requests per second with that code (`rate × share`).
    let codeRates: [Wave]
    /// Per status code: its share of the requests.
    let codeShares: [Wave]
    /// Requests per second of the normal and the slow latency population.
    let fastRate: Wave
    let slowRate: Wave
    let slowShare: Wave
    /// Cumulative share of each bucket bound, per population.
    let fastCumulative: [Double]
    let slowCumulative: [Double]
    let fastMean: Double
    let slowMean: Double
    /// Amplitude of the per-sample noise, small enough that counters never go down.
    let jitter: Double

    init(index: Int, seed: UInt64, scenario: Scenario, isDown: Bool) {
        self.index = index
        self.seed = seed
        self.scenario = scenario
        self.isDown = isDown
        let name = World.serviceNames[index]
        self.name = name
        instance = "\(name):3000"
        let i = Int64(index)
        let hash = String(Noise.hash(seed, 0x50D, i) % 0xFF_FFFF_FFFF, radix: 16)
        podNames = (0..<World.podsPerService).map { pod in
            let suffix = String(Noise.hash(seed, 0x50E, i, Int64(pod)) % 0x1_0000_0000, radix: 36)
            return "\(name)-\(hash.prefix(10))-\(suffix.prefix(5))"
        }
        deployOffset = (1 + 4 * Noise.unit(seed, 0xDE, i)) * 3600

        // Traffic: a daily shape peaking in the (seeded) afternoon, and wiggles of a few minutes to hours.
        let base: [Double] = [50, 30, 20, 10]
        let peak = (14 + 4 * Noise.unit(seed, 0xA1) - 2) * 3600
        let daily = Wave.cosine(1, amplitude: 0.35, period: World.day, phase: -2 * .pi * peak / World.day)
        let wiggle = Wave(1, [
            .init(amplitude: 0.06, omega: 2 * .pi / 437, phase: Noise.phase(seed, 0xB1, i)),
            .init(amplitude: 0.04, omega: 2 * .pi / 1381, phase: Noise.phase(seed, 0xB2, i)),
            .init(amplitude: 0.05, omega: 2 * .pi / 5821, phase: Noise.phase(seed, 0xB3, i)),
        ])
        let rate = daily * wiggle * base[index]
        self.rate = rate

        // Status codes: shares of 4xx and 5xx; 200 is the rest.
        let clientErrors: [Double] = [0.005, 0.004, 0.003, 0.005]
        let serverErrorsCalm: [Double] = [0.002, 0.003, 0.001, 0.002]
        var serverErrors = Wave.cosine(
            serverErrorsCalm[index], amplitude: 0.3 * serverErrorsCalm[index], period: 1740, phase: Noise.phase(seed, 0xC0, i))
        if index == 3 && scenario == .incident {
            serverErrors = .cosine(0.10, amplitude: 0.03, period: 2220, phase: Noise.phase(seed, 0xC1))
        } else if index == 3 && scenario == .flapping {
            serverErrors = .cosine(0.06, amplitude: 0.055, period: 960, phase: Noise.phase(seed, 0xC2))
        }
        let clientError = Wave.cosine(
            clientErrors[index], amplitude: 0.2 * clientErrors[index], period: 2460, phase: Noise.phase(seed, 0xC3, i))
        let shares = [
            Wave(1) - clientError - serverErrors,  // 200
            clientError * 0.3,  // 400
            clientError * 0.7,  // 404
            serverErrors * 0.75,  // 500
            serverErrors * 0.25,  // 503
        ]
        codeShares = shares
        codeRates = shares.map { rate * $0 }

        // Latency: a log-normal population of normal requests and one of slow requests, whose share is a wave.
        let medians: [Double] = [0.035, 0.07, 0.05, 0.12]
        let sigmas: [Double] = [0.55, 0.6, 0.55, 0.6]
        var slow = Wave.cosine(0.012, amplitude: 0.008, period: 3000, phase: Noise.phase(seed, 0xD1, i))
        var slowMedian = 0.6
        var slowSigma = 0.4
        if index == 2 && scenario == .incident {
            slow = .cosine(0.30, amplitude: 0.05, period: 1860, phase: Noise.phase(seed, 0xD2))
            slowMedian = 2.0
            slowSigma = 0.45
        } else if index == 2 && scenario == .flapping {
            slow = .cosine(0.12, amplitude: 0.10, period: 1320, phase: Noise.phase(seed, 0xD3))
            slowMedian = 2.0
            slowSigma = 0.45
        }
        slowShare = slow
        slowRate = rate * slow
        fastRate = rate * (Wave(1) - slow)
        func cumulative(median: Double, sigma: Double) -> [Double] {
            World.bucketBounds.map { bound in
                bound == .infinity ? 1 : 0.5 * erfc(-(log(bound) - log(median)) / (sigma * 2.0.squareRoot()))
            }
        }
        fastCumulative = cumulative(median: medians[index], sigma: sigmas[index])
        slowCumulative = cumulative(median: slowMedian, sigma: slowSigma)
        fastMean = medians[index] * exp(sigmas[index] * sigmas[index] / 2)
        slowMean = slowMedian * exp(slowSigma * slowSigma / 2)

        // Noise: at most 40 % of the smallest increase of the most variable share between two samples.
        var steadiness = 1.0
        for share in shares + [slow, Wave(1) - slow] {
            let low = max(0, share.lowerBound)
            let high = share.upperBound
            if high > 0 { steadiness = min(steadiness, low / high) }
        }
        jitter = 0.4 * Double(World.resolution) / 1000 * max(0, rate.lowerBound) * steadiness
    }

    /// The start (seconds) of the counters' current life: the last daily deploy at or before `t`.
    func lastReset(before t: Double) -> Double {
        ((t - deployOffset) / World.day).rounded(.down) * World.day + deployOffset
    }

    /// The per-sample noise in `[0, jitter)`, shared by every counter of the service at that sample.
    func noise(_ sample: Int64) -> Double {
        jitter * Noise.unit(seed, 0xE1, Int64(index), sample)
    }

    func requests(code: Int, at t: Double, sample: Int64) -> Double {
        let reset = lastReset(before: t)
        let wave = codeRates[code]
        return wave.integral(at: t) - wave.integral(at: reset) + noise(sample) * codeShares[code].value(at: t)
    }

    /// The count of bucket `index` (the last one is `+Inf`, which is also `_count`).
    func bucket(_ index: Int, at t: Double, sample: Int64) -> Double {
        let reset = lastReset(before: t)
        let fast = fastRate.integral(at: t) - fastRate.integral(at: reset)
        let slow = slowRate.integral(at: t) - slowRate.integral(at: reset)
        let w = slowShare.value(at: t)
        let share = (1 - w) * fastCumulative[index] + w * slowCumulative[index]
        return fastCumulative[index] * fast + slowCumulative[index] * slow + noise(sample) * share
    }

    func durationSum(at t: Double, sample: Int64) -> Double {
        let reset = lastReset(before: t)
        let fast = fastRate.integral(at: t) - fastRate.integral(at: reset)
        let slow = slowRate.integral(at: t) - slowRate.integral(at: reset)
        let w = slowShare.value(at: t)
        return fastMean * fast + slowMean * slow + noise(sample) * ((1 - w) * fastMean + w * slowMean)
    }

    /// Container restarts of a pod since the last deploy (plus a few from before, for pods that are calm).
    func restarts(pod: Int, at t: Double) -> Double {
        let base = Double(Noise.hash(seed, 0xF1, Int64(index), Int64(pod)) % 3)
        guard index == 3, pod == 0 else { return base }
        let reset = lastReset(before: t)
        switch scenario {
        case .incident:
            // A restart every 150 s (back-off included): rate over 5 minutes never drops to zero.
            return base + ((t - reset) / 150).rounded(.down)
        case .flapping:
            // Bursts: a restart a minute during the first 7 minutes of every 20.
            func total(_ x: Double) -> Double {
                let cycle = 1200.0
                let shifted = x + Noise.unit(seed, 0xF2) * cycle
                let cycles = (shifted / cycle).rounded(.down)
                let within = shifted - cycles * cycle
                return cycles * 7 + min(7, (within / 60).rounded(.down))
            }
            return base + total(t) - total(reset)
        case .calm, .outage, .backupStale, .brokenPipeline:
            return base
        }
    }

    func availableReplicas(at t: Double) -> Double {
        let desired = Double(World.podsPerService)
        if isDown { return 0 }
        guard index == 1 else { return desired }
        switch scenario {
        case .incident: return desired - 1
        case .flapping:
            // 2 of 3 for 8 minutes of every 15.
            let cycle = 900.0
            let shifted = t + Noise.unit(seed, 0xF3) * cycle
            let within = shifted - (shifted / cycle).rounded(.down) * cycle
            return within < 480 ? desired - 1 : desired
        case .calm, .outage, .backupStale, .brokenPipeline: return desired
        }
    }
}
