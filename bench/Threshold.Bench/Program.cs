namespace Threshold.Bench;

public static class Program
{
    public static int Main() => 0;
}
