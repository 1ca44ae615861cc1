# unit tests of the agent component
