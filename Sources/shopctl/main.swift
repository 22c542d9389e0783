import Foundation
import ShopKit

exit(CLI.main(Array(CommandLine.arguments.dropFirst()), env: ProcessInfo.processInfo.environment))
