# integration tests of the ssh component
