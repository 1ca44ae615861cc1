# libmsb sources owned by the fs component
