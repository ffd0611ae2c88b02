# Sample mean and a 95% confidence interval in R
heights <- read.csv("data/heights.csv")
x <- c(168, 175, 171, 180, 166, 173)
n <- length(x)
xbar <- mean(x)
se <- sd(x) / sqrt(n)
ci <- xbar + c(-1, 1) * qt(0.975, df = n - 1) * se
print(ci)
