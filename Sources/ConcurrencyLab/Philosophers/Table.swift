import Foundation

/// Five forks on a round table, and who holds and who waits for each: the shared state of the
/// dining philosophers. One lock and one condition guard it all, so a snapshot of "who holds
/// what, who waits for what" is always consistent, which is what the deadlock detector needs.
final class Table: @unchecked Sendable {
    // @unchecked: every stored var is read and written only with `condition` locked.
    let seats: Int
    private let condition = NSCondition()
    private var holder: [Int?]
    private var waitingFor: [Int?]
    /// Chandy–Misra: who owns each fork, whether it is dirty, and who asked for it.
    private var owner: [Int]
    private var dirty: [Bool]
    private var eating: [Bool]
    private var aborted = false
    /// Meals eaten in total (the watchdog's sign of progress).
    private(set) var progress = 0

    init(seats: Int) {
        self.seats = seats
        holder = Array(repeating: nil, count: seats)
        waitingFor = Array(repeating: nil, count: seats)
        // Chandy–Misra's start: each fork with the lower-numbered neighbour, dirty.
        owner = (0..<seats).map { fork in min(fork, (fork + seats - 1) % seats) }
        dirty = Array(repeating: true, count: seats)
        eating = Array(repeating: false, count: seats)
    }

    func left(of philosopher: Int) -> Int { philosopher }
    func right(of philosopher: Int) -> Int { (philosopher + 1) % seats }

    /// Takes one fork, waiting while another philosopher holds it. False if the dinner was
    /// aborted (a deadlock was detected) while waiting.
    func pickUp(_ fork: Int, by philosopher: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        waitingFor[philosopher] = fork
        while holder[fork] != nil && !aborted { condition.wait() }
        waitingFor[philosopher] = nil
        guard !aborted else { return false }
        holder[fork] = philosopher
        return true
    }

    /// Takes both forks at once, or neither (the waiter's rule: no one holds one fork while
    /// waiting for the other).
    func pickUpBoth(_ first: Int, _ second: Int, by philosopher: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        waitingFor[philosopher] = holder[first] != nil ? first : second
        while (holder[first] != nil || holder[second] != nil) && !aborted {
            waitingFor[philosopher] = holder[first] != nil ? first : second
            condition.wait()
        }
        waitingFor[philosopher] = nil
        guard !aborted else { return false }
        holder[first] = philosopher
        holder[second] = philosopher
        return true
    }

    func putDown(_ forks: [Int]) {
        condition.lock()
        for fork in forks { holder[fork] = nil }
        condition.broadcast()
        condition.unlock()
    }

    /// Chandy–Misra: a hungry philosopher gets each fork it lacks from its neighbour, who
    /// hands over a fork only if it is dirty and the neighbour isn't eating; a fork received
    /// is clean, and a clean fork is kept until its holder has eaten. No cycle of waiting can
    /// form, and a neighbour who just ate can't take the forks straight back.
    func acquireChandyMisra(_ forks: [Int], by philosopher: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !aborted {
            var missing: Int?
            for fork in forks where owner[fork] != philosopher {
                let neighbour = owner[fork]
                if dirty[fork] && !eating[neighbour] {
                    owner[fork] = philosopher // handed over on request, and cleaned
                    dirty[fork] = false
                    condition.broadcast()
                } else {
                    missing = fork
                }
            }
            guard let missing else {
                eating[philosopher] = true
                waitingFor[philosopher] = nil
                return true
            }
            waitingFor[philosopher] = missing
            condition.wait()
        }
        return false
    }

    func releaseChandyMisra(_ forks: [Int], by philosopher: Int) {
        condition.lock()
        eating[philosopher] = false
        for fork in forks { dirty[fork] = true }
        condition.broadcast()
        condition.unlock()
    }

    func ate() {
        condition.lock()
        progress += 1
        condition.unlock()
    }

    var meals: Int {
        condition.lock()
        defer { condition.unlock() }
        return progress
    }

    /// Who holds each fork and which fork each philosopher waits for, at one instant. Under
    /// Chandy–Misra a fork's owner holds it.
    func snapshot(chandyMisra: Bool = false) -> (holder: [Int?], waitingFor: [Int?]) {
        condition.lock()
        defer { condition.unlock() }
        return (chandyMisra ? owner.map { Optional($0) } : holder, waitingFor)
    }

    /// Wakes every waiting philosopher and tells them to go home.
    func abort() {
        condition.lock()
        aborted = true
        condition.broadcast()
        condition.unlock()
    }
}
