import ArgumentParser
import Pipeline

extension ExitCode {
    init(_ status: ExitStatus) { self.init(status.rawValue) }
}
