# unit tests of the runtime component
