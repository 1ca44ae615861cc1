# libmsb sources owned by the runtime component
