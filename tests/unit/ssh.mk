# unit tests of the ssh component
