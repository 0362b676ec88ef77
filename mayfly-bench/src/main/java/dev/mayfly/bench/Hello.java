package dev.mayfly.bench;

/** The bare JVM start the worker's start is compared with. */
public final class Hello {
    private Hello() {}

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
