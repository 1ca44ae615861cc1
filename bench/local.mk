# benchmarks (not run by make check)
