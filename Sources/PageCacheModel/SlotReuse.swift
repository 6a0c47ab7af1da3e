extension Array {
    /// Stores `element` in the last freed slot when there is one, else appends it, and returns
    /// its index: the ids of open files and mappings stay small and dense, as the kernel's fds do.
    @inline(__always)
    mutating func store(_ element: Element, reusing free: inout [Int32]) -> Int32 {
        if let index = free.popLast() {
            self[Int(index)] = element
            return index
        }
        append(element)
        return Int32(count - 1)
    }
}
