// The test problems the grader passes to your methods besides your own derivatives.
// This file is part of the package: it is loaded beside your submission, you do not copy it.

// q(x) = 2·(x − 1.5)²: a parabola.
double QuadraticDerivative(double x) => 4 * (x - 1.5);

double QuadraticSecondDerivative(double x) => 4;

// g(x) = x⁴ − 3x² + x: two valleys with a hill between them.
double QuarticDerivative(double x) => 4 * x * x * x - 6 * x + 1;

double QuarticSecondDerivative(double x) => 12 * x * x - 6;

// b(x, y) = x² + x·y + 2y² − 3x: a tilted bowl.
Vector<double> BowlGradient(Vector<double> p) => Vector<double>.Build.DenseOfArray([2 * p[0] + p[1] - 3, p[0] + 4 * p[1]]);

Matrix<double> BowlHessian(Vector<double> p) => Matrix<double>.Build.DenseOfArray(new double[,] { { 2, 1 }, { 1, 4 } });
