/* ringbuffer.c - a bounded queue shared by a producer and a consumer.
 *
 * A pthread mutex protects the buffer; two condition variables let the
 * threads sleep instead of spinning. Always hold the mutex when you
 * check or change `count`, and always re-check the condition in a loop
 * because wakeups can be spurious.
 */
#include <pthread.h>
#include <stdio.h>

#define CAPACITY 16
#define ITEMS    100

static int buffer[CAPACITY];
static int head, tail, count;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;

static void push(int value)
{
    pthread_mutex_lock(&lock);
    while (count == CAPACITY)
        pthread_cond_wait(&not_full, &lock);   /* releases the mutex */
    buffer[tail] = value;
    tail = (tail + 1) % CAPACITY;
    count++;
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&lock);
}

static int pop(void)
{
    int value;
    pthread_mutex_lock(&lock);
    while (count == 0)
        pthread_cond_wait(&not_empty, &lock);
    value = buffer[head];
    head = (head + 1) % CAPACITY;
    count--;
    pthread_cond_signal(&not_full);
    pthread_mutex_unlock(&lock);
    return value;
}

static void *producer(void *arg)
{
    (void)arg;
    for (int i = 1; i <= ITEMS; i++)
        push(i);
    return NULL;
}

int main(void)
{
    pthread_t thread;
    long sum = 0;

    if (pthread_create(&thread, NULL, producer, NULL) != 0) {
        fprintf(stderr, "ringbuffer: cannot start producer thread\n");
        return 1;
    }
    for (int i = 0; i < ITEMS; i++)
        sum += pop();
    pthread_join(thread, NULL);
    printf("sum = %ld (expected %d)\n", sum, ITEMS * (ITEMS + 1) / 2);
    return 0;
}
