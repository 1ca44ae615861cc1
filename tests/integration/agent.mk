# integration tests of the agent component
