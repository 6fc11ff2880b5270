// The test problems the grader passes to your gradient descent besides your own functions.
// This file is part of the package: it is loaded beside your submission, you do not copy it.

// A parabola, q(x) = (x − 3)², with its minimum at x = 3.
double Parabola(double x) => (x - 3) * (x - 3);

double ParabolaDerivative(double x) => 2 * (x - 3);

// Two valleys: f4(x, y) = (x² − 1)² + 0.3·x + y², deeper near x = −1 than near x = 1.
double F4Dx(double x, double y) => 4 * x * (x * x - 1) + 0.3;

double F4Dy(double x, double y) => 2 * y;

// A tilted bowl: bowl(x, y) = x² + x·y + y².
double BowlDx(double x, double y) => 2 * x + y;

double BowlDy(double x, double y) => x + 2 * y;
