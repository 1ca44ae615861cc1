# integration tests of the runtime component
