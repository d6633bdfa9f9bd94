package extract

// Slots is the process-wide semaphore, for tests that fill it.
var Slots = slots
