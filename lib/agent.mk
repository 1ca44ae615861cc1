# libmsb sources owned by the agent component
