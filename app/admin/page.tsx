export default function Admin() {
  return (
    <main>
      <h1>Admin</h1>
    </main>
  );
}
