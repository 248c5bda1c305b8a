/* A made-up test file for the extractor: every construct it must read. */
#include <windows.h>

#define lok ok_(__FILE__, line)
#define check_open(name, want) _check_open(__LINE__, name, want)
#define CHECK_CREATE(h) ok(NtCreateKey(h) == 0, "c\n")

static void _check_open(int line, const char *name, DWORD want)
{
    SC_HANDLE h = OpenSCManagerA(NULL, name, 0);
    lok(GetLastError() == want, "x\n");
    ok_(__FILE__, line)(h != NULL, "y\n");
}

static void plain_helper(void)
{
    DWORD ret = Unmodeled(1);
    ok(ret, "z\n");
}

static void test_basic(void)
{
    SC_HANDLE scm;
    NTSTATUS status;
    DWORD ret;

    SetLastError(0xdeadbeef);
    scm = OpenSCManagerW(NULL, NULL, 0);
    ok(!scm, "ok( inside a string is not a site\n");
    /* ok(comment, "not a site"); */
    // ok(line comment)
    ok(GetLastError() == ERROR_INVALID_NAME ||
       broken(GetLastError() == ERROR_ACCESS_DENIED),
       "multi-line\n");
    ret = Unmodeled(2);
    ok(ret == 5, "n\n");
    ok(CloseServiceHandle(scm), "call in the condition\n");
    status = pNtCreateKey(&scm);
    todo_wine ok(status == STATUS_SUCCESS, "prefix todo\n");
    todo_wine_if(ret)
    {
        ok(status != STATUS_ACCESS_DENIED, "block todo_wine_if\n");
    }
    todo_wine {
        ret = WaitForSingleObject(scm, 0);
        ok(ret == WAIT_TIMEOUT, "block todo\n");
    }
    ret = Sleep(1); ok(ret == 0, "two"); ok(ret != 1, "on one line\n");
    if (ret)
    {
        Unmodeled(3);
        ok(TRUE, "then\n");
    }
    else
        ok(!ret, "else skips the then branch\n");
#if 0
    ok(0, "compiled out\n");
#endif
    check_open("a", ERROR_INVALID_NAME);
    CHECK_CREATE(&scm);
    plain_helper();
    ok(ret, "the helper call is the nearest call\n");
}

START_TEST(sites)
{
    test_basic();
}

static void test_flow(void)
{
    HANDLE h;
    DWORD ret;

    ret = WaitForSingleObject(h, 0);
    if (ret == WAIT_FAILED)
    {
        skip("early exit\n");
        CloseServiceHandle(h);
        return;
    }
    ok(ret == WAIT_OBJECT_0, "the early exit is stepped over\n");
    while ((h = Unmodeled(4)) == NULL)
    {
        Sleep(10);
    }
    ok(h != NULL, "the loop's header ran last\n");
    if (ret)
    {
        Sleep(1);
    }
    ok(ret, "an if block without return is walked into\n");
}
