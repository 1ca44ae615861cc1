# libmsb sources owned by the ssh component
