// The C interface of OpenBLAS (cblas.h) and LAPACKE, as shipped by Debian's libopenblas-dev and liblapacke-dev.
// This target has no Swift API of its own; HPDTensor's BLAS.swift and LAPACK.swift are its only users.
#include <cblas.h>
#include <lapacke.h>
